package contactinfo

import "testing"

func TestFindInLink(t *testing.T) {
	for _, tc := range []struct {
		link string
		want Kind // "" for none
	}{
		{"https://files.hiregraph.test/p/1.pdf", ""},
		{"https://x.test/x", ""},
		{"https://bucket.s3.amazonaws.com/uploads/1733091234/cv.pdf?X-Amz-Expires=3600&X-Amz-Date=20261201T223400Z", ""},
		{"https://drive.example.com/file/d/1aBcD-xyz_123/view", ""},
		{"https://cdn.example.com/2026/12/01/portfolio-final-v3.pdf", ""},
		{"https://wa.me/15551234567", Messenger},
		{"https://t.me/johndoe", Messenger},
		{"https://john-doe-contact.com/call-me-555-123-4567", Phone},
		{"https://files.example.com/cv/call-15551234567.pdf", Phone},
		{"https://files.example.com/cv.pdf?contact=john.doe@gmail.com", Email},
		{"https://files.example.com/john.doe@gmail.com/cv.pdf", Email},
		{"https://files.example.com/skype-john.doe/cv.pdf", Messenger},
		{"john at gmail dot com", Email},
	} {
		fs := FindInLink(tc.link)
		var got Kind
		if len(fs) > 0 {
			got = fs[0].Kind
		}
		if got != tc.want {
			t.Errorf("FindInLink(%q) = %v, want %q", tc.link, fs, tc.want)
		}
	}
}
